@allure.label.epic:Projects
Feature: All or nothing
  A change that cannot be made whole is not made at all: nothing is left half done. A new order of
  milestones that names one it should not changes no order; a task whose assignment email cannot
  be written is not created. Changes that meet each other in the database are tried again a few
  times and otherwise refused as "busy", never half applied. The database itself holds the rules
  that keep the records whole, whatever program writes to it.

  Background:
    Given Brightside Agency has the project "Harbour Lights" with the milestones "Script, Shoot, Edit"

  Rule: A change that keeps meeting other changes is tried three times, then refused as busy, with nothing applied

    @negative @local
    Scenario Outline: A change that meets other changes on all three tries is refused as busy, and nothing changes: <change>
      Given the next 3 tries to change the project meet other changes in the database
      When Bea tries to <change>
      Then Bea is told the portal is busy, and to try again in a moment
      And Gina sees the milestones in the order "Script, Shoot, Edit"

      Examples:
        | change                                                |
        | delete the project                                    |
        | delete the milestone "Shoot"                          |
        | put the milestones in the order "Edit, Shoot, Script" |

    @local
    Scenario: A deletion that meets other changes on its first two tries goes through on the third
      Given the next 2 tries to change the project meet other changes in the database
      When Bea tries to delete the project
      Then the project is deleted

  Rule: A change that fails halfway leaves nothing behind, and the schema itself keeps the records whole

    @negative
    Scenario Outline: A new order that <problem> changes no order
      When Theo tries to put the milestones in an order that <problem>
      Then the portal refuses it, naming the field "milestone_ids"
      And Gina sees the milestones in the order "Script, Shoot, Edit"

      Examples:
        | problem                               |
        | names a milestone that does not exist |
        | leaves out "Shoot"                    |
        | names "Edit" twice                    |

    @negative
    Scenario: A new order that names "Shoot" by its number written as text changes no order
      When Theo tries to put the milestones in an order that names "Shoot" by its number written as text
      Then the portal refuses it, naming the field "milestone_ids.1"
      And Gina sees the milestones in the order "Script, Shoot, Edit"

    @negative @local @fakes
    Scenario: A task whose assignment email cannot be written is not created
      Given the outbox cannot take emails to Pia
      When Theo tries to add the task "Book the drone" for Pia
      Then Theo is told the assignment email could not be queued, and to try again
      And the project has no tasks

    @negative
    Scenario Outline: The database itself refuses <record>
      When a program writes <record> straight to the database
      Then the database refuses it

      Examples:
        | record                                          |
        | a task with the status "started"                |
        | a task under a milestone of another project     |
        | a milestone with the status "finished"          |
        | two milestones in the same place of one project |
        | a task that is done but was never completed     |
