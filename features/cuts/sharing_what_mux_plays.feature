@allure.label.epic:Cuts @mux
Feature: Sharing a cut that Mux plays
  A cut can be shared once Mux has processed it, and not before: until then there is nothing to
  play. Guests are sent to Mux with a token signed by the studio's key, for that one cut's playback
  id; a token for one cut never opens another.

  Background:
    Given Brightside Agency has the project "Harbour campaign"
    And Theo has uploaded "Harbour Lights" v4

  Rule: Only a cut Mux has reported ready can be shared

    @negative
    Scenario Outline: A cut that is <status> cannot be shared yet
      Given Mux has reported that <report>
      When Theo tries to share the cut
      Then Theo is told the cut is not ready to be shared
      And the cut has no share link

      Examples:
        | status        | report                       |
        | uploading     | the upload was created       |
        | processing    | the file arrived             |
        | failed        | it could not process the cut |
        | upload failed | the upload was cancelled     |

    @negative
    Scenario: A cut carried over from before Mux that was still being prepared is not played, even with its old playback id
      Given Mux has finished processing it
      And Gina has opened the link Theo shared with her
      And the cut was carried over from before Mux, still being prepared, with its old playback id
      When Gina starts the video
      Then Gina is told the link is not available

    @allure.severity:critical
    Scenario: Once Mux has processed the cut, Theo shares it and Gina's player streams it from Mux
      Given Mux has finished processing it
      And Gina has opened the link Theo shared with her
      When Gina starts the video
      Then Gina's player is sent to Mux for this cut, with a signed token that soon expires

    Scenario: Gina sees how long the cut is, as Mux measured it
      Given Mux has finished processing it, measuring it at 272.64 seconds
      And Theo has shared the cut with Gina
      When Gina opens the share link
      Then Gina sees that the cut lasts 4:32

  Rule: A guest's token is for one cut only

    @security
    Scenario: The token Gina gets for one cut does not open another
      Given Mux has finished processing it
      And Theo has uploaded "Tidewater teaser" v2
      And Mux has finished processing it
      And Gina has opened the link Theo shared with her
      When Gina starts the video
      Then Gina's token is for "Tidewater teaser" only, not for "Harbour Lights"
