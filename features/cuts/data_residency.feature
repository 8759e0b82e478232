@allure.label.epic:Cuts @mux
Feature: Australian data residency
  Some clients need their media kept in Australia. A project can be marked for Australian data
  residency before its first cut: every cut uploaded to it then goes to the studio's Mux
  environment in Australia, with that environment's own access token and signing key, and each cut
  shows where its media is kept. Media cannot move, so once a project has cuts its mark stays.

  Background:
    Given Brightside Agency has the project "Harbour campaign"

  Rule: The mark is set before the first cut, and every upload of the project then goes to Mux in Australia

    @allure.severity:critical
    Scenario: Theo marks the project for Australian data residency, and its cut is uploaded to Mux in Australia
      Given Theo is signed in
      When Theo marks the project for Australian data residency
      And Theo uploads "Harbour Lights" v4
      Then the upload is accepted
      And Mux's Australian environment was asked for the upload, with its own access token
      And Theo sees that the cut "Harbour Lights" is kept in Australia

    Scenario: Without the mark, a cut goes to the studio's usual Mux environment
      Given Theo is signed in
      When Theo uploads "Harbour Lights" v4
      Then Mux's usual environment was asked for the upload, with its own access token
      And Theo sees that the cut "Harbour Lights" is kept anywhere

    @negative
    Scenario Outline: Once the project has a cut, its mark cannot change to <residency>
      Given the project is kept <current>
      And Theo has uploaded "Harbour Lights" v4
      When Theo marks the project as kept <residency>
      Then Theo is told the project's data residency cannot change, as media cannot move
      And the project is still kept <current>

      Examples:
        | current      | residency    |
        | anywhere     | in Australia |
        | in Australia | anywhere     |

  Rule: Mux in Australia reports on and plays only its own cuts

    Scenario: Mux in Australia reports the cut ready
      Given the project is kept in Australia
      And Theo has uploaded "Harbour Lights" v4
      When Mux finishes processing it
      Then the cut "Harbour Lights" is ready

    @negative @security
    Scenario: A report about an Australian cut signed by the usual environment does not touch it
      Given the project is kept in Australia
      And Theo has uploaded "Harbour Lights" v4
      When the usual Mux environment reports that the cut is ready
      Then Mux's report is acknowledged
      And the cut "Harbour Lights" is uploading

    Scenario: A guest's player gets an address signed with the Australian environment's key
      Given Brightside Agency has the cut "Harbour Lights", version 3, kept in Australia
      And Gina has opened the link Theo shared with her
      When Gina starts the video
      Then Gina's player is sent to Mux for this cut, with a signed token that soon expires
